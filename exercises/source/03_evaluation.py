# %% [markdown]
# # 练习三：转化率、赢单率与保留率
#
# 配合第三课。比率都写成小数（例如 0.25 表示 25%），保留至少三位小数（直接交算出来的结果最好）。
# 答错时会告诉你错在哪种口径（例如“期间口径”“把比率平均了”），但不会告诉你答案。写成百分数、或只保留两位小数时，
# 会请你 🔁 换个写法再交（不算对，也不算错）。需要提示就运行 `q1.hint()`，`q1.solution()` 显示参考答案。
#
# 练习用的是案例公司日志的**练习版**（`exercise_data()`）：课上那份日志之外，多了一些后来的行：老客户又下了一单
# （回头单），别的团队接手跟进老客户（再下一单、流失后再试一次、给还没有结果的客户打个电话）。这些行不改变任何客户
# 第一次达到各阶段的日期，也不改变谁成交、谁流失，所以课上的新客户数、转化率、赢单率在这里照样成立；可是数行数、
# 数活跃客户、先把日志筛成一个团队再数，就会数出别的数。真实的公司里，团队之间本来就会共享客户。

# %%
import devvolume as dv
from devvolume.teach.exercises import ____, exercise_data, lesson03, sign_in  # noqa: F401, RUF100 (学员版用 ____ 占位)

sign_in()  # 第一次做练习时写上你的名字：进度只保存在本机，老师汇总全班进度时用

data = exercise_data()  # 案例公司 directsales 的练习版（见上）
log = data.worklog
q1, q2, q3, q4 = lesson03.QUESTIONS

# %% [markdown]
# ## 第 1 题
#
# 2025 年一季度第一次接触的客户，最后有多大比例成交了？（首次接触 → 成交的队列转化率）赋给 `q1_cohort_conversion`。

# %% tags=["solution"]
q1_cohort_conversion = dv.conversion_rate(log, start="contacted", end="won", period="Q").set_index("period").loc["2025-01-01", "conversion"]

# %%
q1.check()

# %%
# q1.hint()

# %%
# q1.solution()

# %% [markdown]
# ## 第 2 题
#
# 西南一组 2025 年的赢单率是多少？（赢单率 = 成交客户 ÷ (成交客户 + 流失客户)）全团队合起来算，赋给 `team_win_rate`。
# 团队的数字是全公司结果里记在这个团队名下的部分：在全公司的 `log` 上分组计算，再取这个团队。

# %% tags=["solution"]
team_win_rate = dv.win_rate(log, by="team").set_index("team").loc["西南一组", "win_rate"]

# %%
q2.check()

# %%
# q2.hint()

# %%
# q2.solution()

# %% [markdown]
# ## 第 3 题
#
# 华南一组有 6 位销售员。2025 年这个团队“首次接触 → 成交”的队列转化率是多少？全团队合起来算，赋给 `team_conversion`。
# 团队的数字是全公司结果里属于这个团队的部分：在全公司的 `log` 上分组计算，再取这个团队，不要先把日志筛成这个团队。

# %% tags=["solution"]
team_conversion = dv.conversion_rate(log, start="contacted", end="won", period="Y", by=["team", "rep"]).query("team == '华南一组'")[["converted", "cohort"]].sum().pipe(lambda total: total["converted"] / total["cohort"])

# %%
q3.check()

# %%
# q3.hint()

# %%
# q3.solution()

# %% [markdown]
# ## 第 4 题
#
# 用经典公式 (E − N) ÷ S 算 2025 年 6 月的客户保留率。客户连续 3 个月没有下单就算流失。
# 订单在 `data.orders` 里；`dv.retention_rate(data.orders, period="M")` 会给出每个月的 S（start）、N（new）、E（end）。
# 赋给 `june_retention`。

# %% tags=["solution"]
june_retention = dv.retention_rate(data.orders, period="M").set_index("period").loc["2025-06-01"].pipe(lambda june: (june["end"] - june["new"]) / june["start"])

# %%
q4.check()

# %%
# q4.hint()

# %%
# q4.solution()
