# %% [markdown]
# # 练习一：什么才算“开发了一个客户”
#
# 配合第一课。每道题把答案赋给指定的变量，然后运行下面的 `check()`：
#
# - ✏️ 还没有作答：变量还是 `____`；
# - ❌ 还不对：会告诉你**错在哪种口径**（例如“数了行数”“把老客户也算进来了”），但不会告诉你答案；
# - 🔁 换个写法再交：答案的写法看不出用的是哪种算法（不算对，也不算错）；
# - ✅ 正确。
#
# 检查的标准：客户个数要完全一样，差 1 也不对。
#
# 卡住了就把 `# q1.hint()` 前面的 `#` 去掉再运行，每运行一次给下一级提示；`# q1.solution()` 在下一个单元格，
# 同样去掉 `#` 再运行，显示参考答案。
#
# 练习用的是案例公司日志的**练习版**（`exercise_data()`）：课上那份日志之外，多了一些后来的行：老客户又下了一单
# （回头单），别的团队接手跟进老客户（再下一单、流失后再试一次、给还没有结果的客户打个电话）。这些行不改变任何客户
# 第一次达到各阶段的日期，也不改变谁成交、谁流失，所以课上的新客户数、转化率、赢单率在这里照样成立；可是数行数、
# 数活跃客户、先把日志筛成一个团队再数，就会数出别的数。真实的公司里，团队之间本来就会共享客户。

# %%
import devvolume as dv
from devvolume.teach.exercises import ____, exercise_data, lesson01, sign_in  # noqa: F401, RUF100 (学员版用 ____ 占位)

sign_in()  # 第一次做练习时写上你的名字：进度只保存在本机，老师汇总全班进度时用

data = exercise_data()  # 案例公司 directsales 的练习版（见上）
log = data.worklog
practice = lesson01.practice_worklog()
q1, q2, q3, q4 = lesson01.QUESTIONS
dv.teach.chinese(practice)

# %% [markdown]
# ## 第 1 题
#
# 上面是另一个团队的 20 行工作日志（练习用，和课上的例子不同）：2026 年 5 月，这个团队新接触了几位客户？
# 可以用眼睛数（记住第一课的四条规则），也可以用 `dv.development_volume`。把答案赋给 `may_new_contacted`。

# %% tags=["solution"]
may_new_contacted = dv.development_volume(practice, level="contacted", period="M").set_index("period").loc["2026-05-01", "volume"]

# %%
q1.check()

# %%
# q1.hint()

# %%
# q1.solution()

# %% [markdown]
# ## 第 2 题
#
# 还是这份练习日志：5 月的新接触客户，分别记在陈晨和赵敏名下各几位？
# 注意富源建材：陈晨第一次接触，赵敏接手推进到了意向。功劳记在谁名下？（第一课的第四条规则）
# 写成 dict：`{"陈晨": 人数, "赵敏": 人数}`（也可以是 Series 或两列的 DataFrame），赋给 `may_by_rep`。

# %% tags=["solution"]
may_by_rep = dv.development_volume(practice, level="contacted", period="M", by="rep").loc[lambda t: t["period"] == "2026-05-01", ["rep", "volume"]]

# %%
q2.check()

# %%
# q2.hint()

# %%
# q2.solution()

# %% [markdown]
# ## 第 3 题
#
# 换成真实规模的数据 `log`（directsales 的练习版，全公司，两万多行）：2025 年 3 月新接触了多少位客户？
# 赋给 `march_new_contacted`。

# %% tags=["solution"]
march_new_contacted = dv.development_volume(log, level="contacted", period="M").set_index("period").loc["2025-03-01", "volume"]

# %%
q3.check()

# %%
# q3.hint()

# %%
# q3.solution()

# %% [markdown]
# ## 第 4 题
#
# 2025 年第二季度（4–6 月），每个团队各新签约了多少位客户？答案是一张表：团队 → 新签约客户数
# （dict、Series 或两列的 DataFrame 都可以），赋给 `q2_signed_by_team`。
# 想一想：一季度签了约、二季度才成交的客户，算不算二季度的新签约客户？

# %% tags=["solution"]
q2_signed_by_team = dv.development_volume(log, level="signed", period="Q", by="team").loc[lambda t: t["period"] == "2025-04-01", ["team", "volume"]]

# %%
q4.check()

# %%
# q4.hint()

# %%
# q4.solution()
