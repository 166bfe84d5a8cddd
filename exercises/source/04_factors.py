# %% [markdown]
# # 练习四：影响开发量的因素
#
# 配合第四课：渠道、效率、培训效果。比率写成小数。答错时会告诉你错在哪里，但不会告诉你答案。
# 需要提示就运行 `q1.hint()`，`q1.solution()` 显示参考答案。
#
# 检查的标准：客户个数要完全一样（差 1 也不对）；比率写成小数，保留至少三位（0.25 表示 25%）；金额精确到元。
# 比率写成了百分数，或者小数位太少、看不出用的是哪种算法时，会请你 🔁 换个写法再交：这一次不算对，也不算错。
#
# 练习用的是案例公司日志的**练习版**（`exercise_data()`）：课上那份日志之外，多了一些后来的行：老客户又下了一单
# （回头单），别的团队接手跟进老客户（再下一单、流失后再试一次、给还没有结果的客户打个电话）。这些行不改变任何客户
# 第一次达到各阶段的日期，也不改变谁成交、谁流失，所以课上的新客户数、转化率、赢单率在这里照样成立；可是数行数、
# 数活跃客户、先把日志筛成一个团队再数，就会数出别的数。真实的公司里，团队之间本来就会共享客户。

# %%
import devvolume as dv
from devvolume.teach.exercises import ____, exercise_data, lesson04, sign_in  # noqa: F401, RUF100 (学员版用 ____ 占位)

sign_in()  # 第一次做练习时写上你的名字：进度只保存在本机，老师汇总全班进度时用

data = exercise_data()  # 案例公司 directsales 的练习版（见上）
log = data.worklog
q1, q2, q3 = lesson04.QUESTIONS

# %% [markdown]
# ## 第 1 题
#
# 2025 年经“转介绍”来的客户，从首次接触到成交的转化率是多少？全年合起来算（队列口径），赋给 `referral_conversion`。

# %% tags=["solution"]
referral_conversion = dv.teach.factor_view(log, factor="channel").set_index("channel").loc["转介绍", "conversion"]

# %%
q1.check()

# %%
# q1.hint()

# %%
# q1.solution()

# %% [markdown]
# ## 第 2 题
#
# 张伟是全公司最忙的人。2025 年他平均要做多少次活动（工作日志的行数）才换来一个新成交客户？（保留至少一位小数）赋给 `busy_effort_per_win`。

# %% tags=["solution"]
busy_effort_per_win = dv.activity_efficiency(log, level="won", period="Y", by="rep").set_index("rep").loc["张伟", "activities_per_new"]

# %%
q2.check()

# %%
# q2.hint()

# %%
# q2.solution()

# %% [markdown]
# ## 第 3 题
#
# 新员工刘洋在 2025-05-12 参加了培训。培训当天及以后他**第一次接触**的客户，后来成交的比例是多少？
# 赋给 `after_training_conversion`。

# %% tags=["solution"]
after_training_conversion = dv.teach.before_after(log, rep="刘洋", date="2025-05-12").set_index("when").loc["之后"].pipe(lambda after: after["converted"] / after["cohort"])

# %%
q3.check()

# %%
# q3.hint()

# %%
# q3.solution()
